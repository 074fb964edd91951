"""The network: what each site is, how it looks and behaves, and the pages every site shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import (
    BaseGenericSetting,
    BaseSiteSetting,
    register_setting,
)
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.search import index

from .blocks import BodyBlock
from .choosable import ChoosableReferencesPageForm
from .colours import (
    AA_NORMAL_TEXT,
    HEX_COLOUR,
    contrast_ratio,
    meets_aa,
    validate_hex_colour,
)
from .network import site_for_page
from .roles import is_network_admin
from .settings_roles import SiteSettingsForm


def _colour_widget():
    """The browser's own colour picker, which still submits a plain #rrggbb value."""
    return forms.TextInput(attrs={"type": "color"})


class SiteKind(models.TextChoices):
    HEAD = "head", _("Head site")
    REGIONAL = "regional", _("Regional site")
    THEMATIC = "thematic", _("Thematic platform")


class SiteStatus(models.TextChoices):
    """A site's life (item 7 of issue 19): a draft is shown to its team only until launched; an
    archived site keeps its content but answers 410, or redirects to the head office."""

    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    ARCHIVED = "archived", _("Archived")


class SiteProfile(models.Model):
    """What a Wagtail Site is in the network, and the collection and groups made for it.

    Set by network administrators through the site factory; not a site setting, so a site's own
    editors cannot change its kind.
    """

    site = models.OneToOneField(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="profile", verbose_name=_("site")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices, db_index=True)
    region = models.CharField(_("region"), max_length=100, blank=True, db_index=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True, db_index=True)
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="site_profile",
        verbose_name=_("media collection"),
    )
    editors = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderators = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    administrators = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SiteStatus.choices,
        default=SiteStatus.DRAFT,
        db_index=True,
    )
    archived_redirects_to_head = models.BooleanField(
        _("once archived, redirect visitors to the head site"),
        default=False,
        help_text=_("Otherwise an archived site's pages answer “410 Gone”."),
    )
    launched_at = models.DateTimeField(_("launched"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="regional") | ~models.Q(region=""),
                name="regional_site_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="thematic") | ~models.Q(theme=""),
                name="thematic_site_has_theme",
            ),
        ]

    def __str__(self):
        return f"{self.site.site_name} ({self.get_kind_display()})"

    @property
    def groups(self):
        return [group for group in (self.editors, self.moderators, self.administrators) if group]


def _blocklist_widget():
    return forms.Textarea(attrs={"rows": 4})


class CommentBlocklists(models.Model):
    """Words, domains and e-mail domains that send a comment to spam (comments.spam reads them
    through sites.policy), one per line."""

    blocked_words = models.TextField(
        _("blocked words"),
        blank=True,
        help_text=_(
            "One word or phrase per line, matched as a whole word; capitals do not matter, "
            "accents do (list both “crédit” and “credit” if needed). A comment containing one "
            "goes to spam."
        ),
    )
    blocked_domains = models.TextField(
        _("blocked domains"),
        blank=True,
        help_text=_(
            "One domain per line (example.com also covers its subdomains), searched in the "
            "message's links and in the website."
        ),
    )
    blocked_email_domains = models.TextField(
        _("blocked e-mail domains"),
        blank=True,
        help_text=_("One domain per line (example.com also covers its subdomains)."),
    )

    blocklist_panels = [
        FieldPanel("blocked_words", widget=_blocklist_widget()),
        FieldPanel("blocked_domains", widget=_blocklist_widget()),
        FieldPanel("blocked_email_domains", widget=_blocklist_widget()),
    ]

    class Meta:
        abstract = True


class ModerationPolicy(models.TextChoices):
    """Each label is the one sentence the admin shows to explain the mode (radio buttons)."""

    ALL = "all", _("Every comment waits for a moderator's approval.")
    FIRST = (
        "first",
        _(
            "A commenter's first comment on this site waits for approval; after one is approved, "
            "their comments from the same browser appear at once."
        ),
    )
    NONE = "none", _("Comments appear at once; moderators can still remove them.")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting, CommentBlocklists):  # noqa: DJ008 (Wagtail's __str__)
    """Branding, contact and policies of one site: its administrators change them, its
    moderators the comment policy, its editors read them (sites.settings_roles)."""

    base_form_class = SiteSettingsForm  # by role; the logo, favicon and pages: own site's

    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("Defaults to the site's name.")
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("favicon"),
        help_text=_("A square image; shown in browser tabs."),
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1d4f91", validators=[validate_hex_colour]
    )
    text_on_primary_colour = models.CharField(
        _("text colour on the primary colour"),
        max_length=7,
        default="#ffffff",
        validators=[validate_hex_colour],
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#c2410c", validators=[validate_hex_colour]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    bluesky_url = models.URLField(_("Bluesky"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube or PeerTube"), blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy policy page"),
    )
    privacy_page_reviewed = models.BooleanField(
        _("privacy policy reviewed"),
        default=False,
        help_text=_("Tick once someone responsible has read and adapted the privacy policy."),
    )
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal notice page"),
    )
    accept_from_head_office = models.BooleanField(
        _("accept posts from the head office automatically"),
        default=False,
        help_text=_(
            "Posts the head site shares with this site show at once, without a proposal to accept."
        ),
    )
    comments_enabled = models.BooleanField(_("comments enabled"), default=True)
    comment_moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=ModerationPolicy.choices,
        default=ModerationPolicy.FIRST,
    )
    comments_close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_("Days after publication; leave empty to keep comments open."),
    )

    branding_panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("logo"),
        FieldPanel("favicon"),
        MultiFieldPanel(
            [
                FieldPanel("primary_colour", widget=_colour_widget()),
                FieldPanel("text_on_primary_colour", widget=_colour_widget()),
                FieldPanel("accent_colour", widget=_colour_widget()),
            ],
            heading=_("Colours"),
            help_text=_("Text on the primary colour must reach a contrast of 4.5:1 (WCAG AA)."),
        ),
    ]
    contact_panels = [
        FieldPanel("contact_email"),
        FieldPanel("postal_address"),
        MultiFieldPanel(
            [
                FieldPanel("mastodon_url"),
                FieldPanel("bluesky_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Social links"),
        ),
    ]
    policy_panels = [
        FieldPanel("privacy_page"),
        FieldPanel("privacy_page_reviewed"),
        FieldPanel("legal_notice_page"),
        MultiFieldPanel([FieldPanel("accept_from_head_office")], heading=_("Sharing")),
        MultiFieldPanel(
            [
                FieldPanel("comments_enabled"),
                FieldPanel("comment_moderation", widget=forms.RadioSelect),
                FieldPanel("comments_close_after_days"),
                *CommentBlocklists.blocklist_panels,
            ],
            heading=_("Comments"),
            help_text=_("Changed by the site's moderators and administrators."),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(branding_panels, heading=_("Branding")),
            ObjectList(contact_panels, heading=_("Contact")),
            ObjectList(policy_panels, heading=_("Policies")),
        ]
    )

    # Loaded with the settings in one query: every page's header and footer use them.
    select_related = ["site", "logo", "favicon", "privacy_page", "legal_notice_page"]

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def clean(self):
        super().clean()
        self._check_pages_belong_to_site()
        colours = (self.primary_colour, self.text_on_primary_colour)
        if all(HEX_COLOUR.match(c or "") for c in colours) and not meets_aa(*colours):
            ratio = contrast_ratio(*colours)
            raise ValidationError(
                {
                    "text_on_primary_colour": _(
                        "Text in %(text)s on the primary colour %(primary)s has a contrast of "
                        "%(ratio).1f:1; WCAG AA asks for at least %(minimum).1f:1 so that everyone "
                        "can read the header. Choose a darker primary colour or a text colour "
                        "further from it (white or near-black)."
                    )
                    % {
                        "text": self.text_on_primary_colour,
                        "primary": self.primary_colour,
                        "ratio": ratio,
                        "minimum": AA_NORMAL_TEXT,
                    }
                }
            )

    def _check_pages_belong_to_site(self):
        """A forged page id must not make another site's page this site's privacy policy."""
        errors = {}
        for field in ("privacy_page", "legal_notice_page"):
            page = getattr(self, field)
            if page is not None and self.site_id and site_for_page(page) != self.site:
                errors[field] = _("Choose a page of this site.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self):
        return self.name or self.site.site_name

    @property
    def link_colour(self):
        """Links use the primary colour when it is readable on white, else the body text colour."""
        return self.primary_colour if meets_aa(self.primary_colour, "#ffffff") else "#1f2933"

    @property
    def social_links(self):
        labels = [
            ("mastodon_url", "Mastodon"),
            ("bluesky_url", "Bluesky"),
            ("linkedin_url", "LinkedIn"),
            ("facebook_url", "Facebook"),
            ("instagram_url", "Instagram"),
            ("youtube_url", _("Videos")),
        ]
        return [(label, getattr(self, field)) for field, label in labels if getattr(self, field)]


class NetworkAdministratorsPolicy(ModelPermissionPolicy):
    """Network administrators (sites.roles) may change the setting, and anyone given its
    permission explicitly; site teams may not."""

    def user_has_permission(self, user, action):
        return is_network_admin(user) or super().user_has_permission(user, action)


@register_setting(icon="warning")
class NetworkCommentSettings(BaseGenericSetting, CommentBlocklists):  # noqa: DJ008 (Wagtail's)
    """Blocklists applied to the comments of every site, in addition to each site's own."""

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                CommentBlocklists.blocklist_panels,
                heading=_("Blocked in the comments of every site"),
                help_text=_("Each site adds its own lists in its settings (Policies tab)."),
            )
        ]
    )

    class Meta:
        verbose_name = _("network comment settings")
        verbose_name_plural = _("network comment settings")

    @classmethod
    def get_permission_policy(cls):
        return NetworkAdministratorsPolicy(cls)


class HomePage(Page):
    """The root page of one site of the network; one per site and language."""

    base_form_class = ChoosableReferencesPageForm

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]

    LATEST_POSTS = 3

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def latest_posts(self):
        """The site's newest live posts, whatever app defines them (MAILLAGE_POST_MODELS)."""
        from django.apps import apps
        from django.conf import settings

        posts = []
        for label in settings.MAILLAGE_POST_MODELS:
            model = apps.get_model(label)
            posts += list(
                model.objects.live()
                .public()
                .descendant_of(self)
                .order_by("-first_published_at")[: self.LATEST_POSTS]
            )
        posts.sort(key=lambda post: post.first_published_at, reverse=True)
        return posts[: self.LATEST_POSTS]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_posts"] = self.latest_posts()
        return context


class StandardPage(Page):
    """Any page of content: about, privacy policy, legal notice, a project."""

    base_form_class = ChoosableReferencesPageForm

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
