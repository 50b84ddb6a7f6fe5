"""StreamField blocks for articles: prose, safety callouts and embedded structured content."""

from .article_blocks import ArticleBodyBlock

__all__ = ["ArticleBodyBlock"]
