from django.dispatch import Signal

# Sent inside the site factory's transaction once the site, its home page, collection and groups
# exist, so that other apps (the blog) add their default pages; an exception rolls everything back.
# Arguments: site, profile, home, locale.
site_created = Signal()

# Sent when a site opens to the public (launched, or brought back live from the archive), inside
# the transaction, so that posts already shared with it by scope are proposed to it. Argument: site.
site_opened = Signal()
