"""Reader pages, one module a page: parse the request, build the read-model, render."""
