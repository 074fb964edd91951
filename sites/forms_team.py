"""Forms of the team views. They only collect input; sites/team.py decides what is allowed.

None of them takes a group: the role is one of three fixed values, and the site comes from the
URL, so a forged group id or an extra field (is_superuser, groups…) has nothing to land in.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import team


class AddMemberForm(forms.Form):
    user = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("Someone who already has an account on the network."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=team.ROLE_CHOICES)

    def clean_user(self):
        return team.find_user(self.cleaned_data["user"])


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=team.ROLE_CHOICES)


class RemoveMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), widget=forms.HiddenInput
    )
    role = forms.ChoiceField(choices=team.ROLE_CHOICES, widget=forms.HiddenInput)

    def __init__(self, site, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only members of this site's groups can be named at all.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(groups__in=[group.pk for group in site.profile.groups])
            .distinct()
        )
