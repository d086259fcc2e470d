"""sitemap.xml: every public page, for search engines, in files of at most 50,000 URLs."""
