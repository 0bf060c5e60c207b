import pytest


@pytest.fixture
def dump_article():
    """Builds one article in the raw dump format: title, caption twice, TT, the header again, body."""
    def build(title: str, paragraphs, caption: str | None = "A photo caption. (AP)") -> str:
        captions = f"{caption}\n{caption}\n" if caption else ""
        return (f"{title}\n\n{captions}TT\n\n{title}\n\n{captions}\n"
                + "\n\n".join(paragraphs) + "\n\n\n")
    return build
