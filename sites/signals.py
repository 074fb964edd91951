from django.dispatch import Signal

# Sent inside the site factory's transaction once the site, its home page, collection and groups
# exist, so that other apps (the blog) add their default pages; an exception rolls everything back.
# Arguments: site, profile, home, locale.
site_created = Signal()
