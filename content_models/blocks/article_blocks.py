from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Model
from django.utils.html import format_html_join
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.snippets.blocks import SnippetChooserBlock

from ..enums import CalloutLevel, HeadingLevel
from ..live import is_live

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]

# The embedded items a reader of the API may see, read beforehand (`embedded_items_read`).
_items_read: ContextVar[Mapping[tuple[type[Model], object], Model] | None] = ContextVar(
    "embedded_items_read", default=None
)


@contextmanager
def embedded_items_read(items: Mapping[tuple[type[Model], object], Model]):
    """Within it, embedded items are those of `items` (keyed by model and primary key), and
    one it lacks is None, rather than each block type reading its items again.

    The API reads the live embedded items of a body in one query set per type, relations
    prefetched (`embedded_item_ids` says which); Wagtail would read every one of them again,
    in full, as the body's blocks are first used.
    """
    token = _items_read.set(items)
    try:
        yield
    finally:
        _items_read.reset(token)


def embedded_item_ids(body: StreamValue) -> dict[type[Model], set]:
    """The primary keys of the items a body embeds, by model, read from its stored data
    without loading any item."""
    ids = defaultdict(set)
    for model, pk in _embedded_in(body.stream_block, body.raw_data):
        ids[model].add(pk)
    return ids


def _embedded_in(block, raw) -> Iterator[tuple[type[Model], object]]:
    if raw is None:
        return
    if isinstance(block, EmbeddedSnippetBlock):
        yield block.model_class, block.model_class._meta.pk.to_python(raw)
    elif isinstance(block, blocks.StreamBlock):
        for child in raw:
            if child_block := block.child_blocks.get(child["type"]):
                yield from _embedded_in(child_block, child["value"])
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from _embedded_in(child_block, raw.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in raw:
            value = item["value"] if block._item_is_in_block_format(item) else item
            yield from _embedded_in(block.child_block, value)


def embeddable_models(block: blocks.Block) -> set[type[Model]]:
    """The models whose items a block (a StreamField's) can embed through a chooser."""
    if isinstance(block, blocks.ChooserBlock):
        return {block.model_class}
    if isinstance(block, blocks.ListBlock):
        return embeddable_models(block.child_block)
    children = getattr(block, "child_blocks", {}).values()
    return set().union(*(embeddable_models(child) for child in children))


class EmbeddedSnippetBlock(SnippetChooserBlock):
    """A structured item embedded in an article, delivered to API clients as its data.

    The API puts an `embed` function in the context that serializes a live item (and gives
    None for one that is not live), so blocks stay independent of any one API version.
    """

    def bulk_to_python(self, values):
        items = _items_read.get()
        if items is None:
            return super().bulk_to_python(values)
        to_python = self.model_class._meta.pk.to_python
        return [
            None if value is None else items.get((self.model_class, to_python(value)))
            for value in values
        ]

    def get_api_representation(self, value, context=None):
        if value is None or not context or "embed" not in context:
            return None
        return context["embed"](value)

    def render_basic(self, value, context=None):
        """The item's name where the article is rendered as HTML (previews, the page tree);
        nothing for an item readers cannot see (a draft, expired or deleted)."""
        if value is None or not is_live(value):
            return ""
        return super().render_basic(value, context)


class EmbeddedSnippetListBlock(blocks.ListBlock):
    """Embedded items in the editor's order; items no longer live are left out."""

    def __init__(self, target_model, **kwargs):
        super().__init__(EmbeddedSnippetBlock(target_model), min_num=1, **kwargs)

    def get_api_representation(self, value, context=None):
        items = super().get_api_representation(value, context)
        return [item for item in items if item is not None]

    def render_basic(self, value, context=None):
        return super().render_basic(
            [item for item in value if item is not None and is_live(item)], context
        )


class ChildRenderingStructBlock(blocks.StructBlock):
    """A StructBlock whose HTML (previews, the page tree) renders each child with its own block.

    Wagtail's default prints each child's raw value: for a list of embedded items, every item
    in it, live or not, bypassing the list block that leaves out what readers cannot see.
    """

    def render_basic(self, value, context=None):
        return format_html_join(
            "\n",
            "<div>{}</div>",
            ((child.render(context=context),) for child in value.bound_blocks.values()),
        )


class ApiRichTextBlock(blocks.RichTextBlock):
    """Rich text that API clients receive as the item's rich-text fields do: the API puts its
    response's `rich_text` batch in the context, which resolves internal links and cleans
    the HTML for every text of the response at once."""

    def get_api_representation(self, value, context=None):
        return context["rich_text"].add(value.source) if value.source else ""


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline accessible."""

    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=HeadingLevel.choices, default=HeadingLevel.H2)

    class Meta:
        icon = "title"


class SafetyCalloutBlock(blocks.StructBlock):
    """A boxed safety message that front ends must show prominently (e.g. when to seek help)."""

    level = blocks.ChoiceBlock(choices=CalloutLevel.choices, default=CalloutLevel.WARNING)
    title = blocks.CharBlock(max_length=200)
    text = ApiRichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = "Safety callout"


class SnippetListBlock(ChildRenderingStructBlock):
    """A headed list of structured items, shown as they are published (never copied text)."""

    heading = blocks.CharBlock(max_length=200, required=False)

    class Meta:
        icon = "list-ul"


class SideEffectListBlock(SnippetListBlock):
    """Side effects, embedded with their frequency, timing and advice."""

    items = EmbeddedSnippetListBlock("content_models.SideEffect")


class EligibilityRuleListBlock(SnippetListBlock):
    """Eligibility rules, embedded with their screening question and outcome."""

    items = EmbeddedSnippetListBlock("content_models.EligibilityRule")


class FaqListBlock(SnippetListBlock):
    """Frequently asked questions with their answers."""

    items = EmbeddedSnippetListBlock("content_models.FAQ")


class ComparisonRowBlock(blocks.StructBlock):
    """One point of comparison, e.g. 'How soon it works'."""

    aspect = blocks.CharBlock(max_length=200)
    ketamine = blocks.TextBlock(label="Ketamine therapy")
    comparator = blocks.TextBlock(label="The other treatment")


class ComparisonTableBlock(ChildRenderingStructBlock):
    """Ketamine therapy compared with another treatment, point by point, with its sources."""

    caption = blocks.CharBlock(max_length=200)
    compared_with = blocks.CharBlock(
        max_length=200, help_text="The other treatment, e.g. 'Electroconvulsive therapy (ECT)'."
    )
    rows = blocks.ListBlock(ComparisonRowBlock(), min_num=1)
    references = EmbeddedSnippetListBlock("content_models.Reference")

    class Meta:
        icon = "table"


class ArticleBodyBlock(blocks.StreamBlock):
    """The body of an article: prose with structured clinical content embedded in it."""

    heading = HeadingBlock()
    paragraph = ApiRichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    safety_callout = SafetyCalloutBlock()
    treatment_form = EmbeddedSnippetBlock(
        "content_models.TreatmentForm", icon="doc-full", label="Treatment form card"
    )
    side_effect_list = SideEffectListBlock()
    eligibility_rule_list = EligibilityRuleListBlock()
    faq_list = FaqListBlock(label="FAQ list")
    comparison_table = ComparisonTableBlock()
    citations = EmbeddedSnippetListBlock("content_models.Reference", icon="openquote")

    def get_api_representation(self, value, context=None):
        # A block whose embedded item is no longer live has nothing left to show.
        return [
            block
            for block in super().get_api_representation(value, context)
            if block["value"] not in (None, [])
        ]
