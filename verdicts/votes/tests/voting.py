"""A form vote, as the votes tests cast it."""


def vote(client, tool, choice, headers=None, **extra):
    """Post the plain ship/skip form for a tool."""
    return client.post(f"/votes/tools/{tool.slug}/", {"choice": choice, **extra}, headers=headers)
