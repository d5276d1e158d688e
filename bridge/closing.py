"""A proper close: with `require_tag_to_end`, a desk cannot end a chat that has no tag."""

from __future__ import annotations

from bridge.chat import LiveChat
from bridge.config import BridgeConfig
from bridge.errors import CommandError
from tags import TagSet


def tag_list(tagset: TagSet, lang: str) -> str:
    """The visible tags numbered as `/tags` shows them."""
    return "\n".join(f"{i}. {t.name(lang)} ({t.id})" for i, t in enumerate(tagset.visible, 1))


def check_can_end(config: BridgeConfig, tagset: TagSet, chat: LiveChat, lang: str) -> None:
    """Refuse to end an untagged chat when the config asks for a tag; the error lists the tags."""
    if config.require_tag_to_end and not chat.tags:
        raise CommandError(
            "Tag the chat before ending it (/tag NAME or number, or the `tag` "
            "command):\n" + tag_list(tagset, lang)
        )
