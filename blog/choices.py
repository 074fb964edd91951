"""The blog's choices, apart from the models that store them (and from the migrations, which
copy their values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareScope(models.TextChoices):
    """With which sites, besides those chosen one by one, a post is shared (blog.syndication)."""

    NONE = "none", _("Only the chosen sites below")
    REGIONAL = "regional", _("Every regional site (and the chosen sites)")
    THEMATIC = "thematic", _("Every thematic platform (and the chosen sites)")
    ALL = "all", _("Every site of the network")


class ProposalStatus(models.TextChoices):
    """A target site's answer to a post proposed to it (blog.models.ShareProposal)."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
