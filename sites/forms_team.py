"""Forms of the team views. They only collect input; sites/team.py decides what is allowed.

None of them takes a group: the role is one of three fixed values, and the site comes from the
URL, so a forged group id or an extra field (is_superuser, groups…) has nothing to land in.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from . import team


class AddMemberForm(forms.Form):
    """Another role for one of the site's own members, chosen by username: nobody outside the
    team can be named (they are invited), and no e-mail address is looked up."""

    user = forms.ModelChoiceField(
        label=_("Member"),
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        help_text=_("Someone already in this site's team. To add anyone else, invite them."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=team.ROLE_CHOICES)

    def __init__(self, site, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team.site_members(site).filter(is_active=True)
        self.fields["user"].label_from_instance = lambda user: user.get_username()


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=team.ROLE_CHOICES)


class InvitedAccountForm(UserCreationForm):
    """A new account for the holder of an invitation link; its address is the invited one."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "last_name")


class RemoveMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), widget=forms.HiddenInput
    )
    role = forms.ChoiceField(choices=team.ROLE_CHOICES, widget=forms.HiddenInput)

    def __init__(self, site, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only members of this site's groups can be named at all.
        self.fields["user"].queryset = team.site_members(site)
