"""Adding an example question to faq.yaml in place: comments, order and layout stay as written.

Only the new text is inserted (at the end of the entry's list for that language), found from
the positions the YAML parser reports; the result is parsed again and checked before use.
"""

from __future__ import annotations

import json

import yaml

from bridge.faq.errors import FaqError


def add_example(text: str, entry_id: str, lang: str, question: str) -> str:
    """faq.yaml text with `question` added to `entry_id`'s `questions.<lang>`."""
    entry = _entry_node(text, entry_id)
    quoted = json.dumps(question.strip(), ensure_ascii=False)  # a JSON string is a YAML scalar
    questions = _value(entry, "questions")
    if not isinstance(questions, yaml.MappingNode):
        raise FaqError(f"entry '{entry_id}': `questions` is not a mapping")
    if questions.flow_style:
        edited = _flow_mapping(text, questions, lang, quoted)
    else:
        edited = _block_mapping(text, questions, lang, quoted)
    _check(edited, entry_id, lang, question.strip())
    return edited


def _entry_node(text: str, entry_id: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise FaqError(f"not valid YAML: {exc}") from exc
    if isinstance(root, yaml.MappingNode):
        root = _value(root, "entries")
    if not isinstance(root, yaml.SequenceNode):
        raise FaqError("expected a list of entries")
    for node in root.value:
        if isinstance(node, yaml.MappingNode):
            found = _value(node, "id")
            if isinstance(found, yaml.ScalarNode) and found.value == entry_id:
                return node
    raise FaqError(f"no entry '{entry_id}' in the FAQ")


def _value(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _flow_mapping(text: str, questions: yaml.MappingNode, lang: str, quoted: str) -> str:
    """questions: {fi: [...], en: [...]}."""
    items = _value(questions, lang)
    if items is None:
        end = questions.end_mark.index - 1  # the closing brace
        sep = ", " if questions.value else ""
        return f"{text[:end].rstrip()}{sep}{lang}: [{quoted}]{text[end:]}"
    return _into_list(text, items, quoted)


def _block_mapping(text: str, questions: yaml.MappingNode, lang: str, quoted: str) -> str:
    """questions:\n  fi: [...]   or   questions:\n  fi:\n    - ..."""
    items = _value(questions, lang)
    if items is None:
        first_key = questions.value[0][0]
        indent = " " * first_key.start_mark.column
        at = _line_end(text, _last_end(questions.value[-1][1]))
        return f"{text[:at]}\n{indent}{lang}: [{quoted}]{text[at:]}"
    return _into_list(text, items, quoted)


def _into_list(text: str, items: yaml.Node, quoted: str) -> str:
    if isinstance(items, yaml.ScalarNode):  # fi: "one question" (the loader accepts a string)
        start, end = items.start_mark.index, items.end_mark.index
        return f"{text[:start]}[{text[start:end]}, {quoted}]{text[end:]}"
    if not isinstance(items, yaml.SequenceNode):
        raise FaqError("questions must be lists of texts")
    if items.flow_style or not items.value:
        end = items.end_mark.index - 1  # the closing bracket
        sep = ", " if items.value else ""
        return f"{text[:end].rstrip()}{sep}{quoted}{text[end:]}"
    last = items.value[-1]
    dash = _dash_column(text, items.value[0].start_mark.index)
    at = _line_end(text, last.end_mark.index)
    return f"{text[:at]}\n{' ' * dash}- {quoted}{text[at:]}"


def _last_end(node: yaml.Node) -> int:
    """Where a node's last character is: a block collection ends where the next token starts."""
    while isinstance(node, yaml.SequenceNode | yaml.MappingNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.index


def _dash_column(text: str, item_start: int) -> int:
    """The column of the `-` before a block list's item."""
    line_start = text.rfind("\n", 0, item_start) + 1
    return text.index("-", line_start) - line_start


def _line_end(text: str, index: int) -> int:
    """The end of the line holding `index - 1` (where the node's last character is)."""
    end = text.find("\n", max(index - 1, 0))
    return len(text) if end < 0 else end


def _check(edited: str, entry_id: str, lang: str, question: str) -> None:
    from bridge.faq.loader import parse_faq

    faq = parse_faq(edited, "edited faq.yaml", matcher="lexical")
    entry = faq.get(entry_id)
    if entry is None or question not in entry.questions.get(lang, ()):
        raise FaqError(f"could not add the example to entry '{entry_id}'; add it by hand")
