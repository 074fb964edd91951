from wagtail.models import Site


def current_site(request):
    """The Wagtail Site serving this request (cached on the request by Wagtail)."""
    return {"current_site": Site.find_for_request(request)}
