"""The catalog's one view: a tool's stored logo, served from here rather than the vendor's."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from verdicts.catalog.logos import LOGO_CONTENT_TYPES
from verdicts.catalog.models import Tool

# The URL carries the digest (Tool.logo_url): that address never changes its bytes.
FOR_GOOD = 365 * 24 * 3600
UNVERSIONED = 24 * 3600


@require_safe
def tool_logo(request: HttpRequest, slug: str) -> HttpResponse:
    """A published tool's logo, with its digest as the ETag; any tool's for staff, whose admin
    previews a draft's logo before it is published."""
    staff = request.user.is_staff
    tools = Tool.objects.all() if staff else Tool.objects.published()
    tool = tools.filter(slug=slug).only("slug", "logo", "status").first()
    if tool is None or not tool.logo:
        raise Http404("No logo for this tool.")
    etag = f'"{tool.logo_digest}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            with tool.logo.open("rb") as image:
                content = image.read()
        except FileNotFoundError as error:
            raise Http404("No logo for this tool.") from error
        extension = tool.logo.name.rsplit(".", 1)[-1]
        response = HttpResponse(content, content_type=LOGO_CONTENT_TYPES[extension])
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    if not tool.is_published:
        # Never into a shared cache: the address answers 404 to anyone but staff.
        patch_cache_control(response, private=True, no_cache=True)
    elif request.GET.get("v") == tool.logo_digest:
        patch_cache_control(response, public=True, max_age=FOR_GOOD, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=UNVERSIONED)
    return response
