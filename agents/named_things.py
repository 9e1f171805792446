"""Named plans, laws, operations and events: what their names look like.

Shared by the tag stage, which names them within one article, and the judge, which names
them across the stream ("the victory plan" in one article, "Victory Plan" in another).
Plain string rules, no model: a phrase of two or more words whose head names such a thing.
"""

from __future__ import annotations

# Heads of named plans, laws, operations and events: "Victory Plan", "Clean Air Act",
# "Operation Harbour Shield" (a leading "operation" counts too).
_NAMED_HEADS = """plan plans act law bill operation programme program strategy initiative
    accord accords agreement treaty pact doctrine deal summit games cup festival conference
    protocol scheme reform reforms fund mission project charter convention declaration compact
    formula corridor package directive regulation framework roadmap coalition alliance"""
NAMED_HEADS = frozenset(_NAMED_HEADS.split())
LEADING_NAMED_HEADS = frozenset({"operation", "project", "mission"})
# Words a name leaves in lower case: "Law of the Sea", "Plan for Jobs".
_FUNCTION_WORDS = "a an and as at by de del der des du for from in into la le of on or the to with"
_NAME_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


def is_named_thing(key: str) -> bool:
    """Whether a lower-cased phrase of two or more words has the head of a named thing."""
    words = key.split()
    return len(words) > 1 and (words[-1] in NAMED_HEADS or words[0] in LEADING_NAMED_HEADS)


def is_capitalised(form: str) -> bool:
    """Every word begins upper-case ("Victory Plan", "Clean Air Act"), function words aside."""
    words = form.split()
    return bool(words) and form[0].isupper() and all(
        word[0].isupper() or word.lower() in _NAME_FUNCTION_WORDS for word in words)
