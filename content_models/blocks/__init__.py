"""StreamField blocks for articles: prose, safety callouts and embedded structured content."""

from .article_blocks import ArticleBodyBlock, embeddable_models

__all__ = ["ArticleBodyBlock", "embeddable_models"]
