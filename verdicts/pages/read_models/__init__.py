"""What each reader page shows, one typed read-model a page; the API reuses them."""
