"""Share images: the 1200 x 630 PNG a page's og:image names, drawn from its own figures."""
