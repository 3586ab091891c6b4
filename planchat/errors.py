"""Exception types raised by planchat; the CLI and HTTP edges turn them into messages."""


class PlanchatError(Exception):
    """Base class: an error a user can act on, with a message that says how."""


class DocumentError(PlanchatError):
    """A document could not be read: corrupt, empty or undecodable."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IngestError(PlanchatError):
    """An ingest run failed; the previous index is still the one serving."""

    def __init__(self, failures: list[DocumentError]):
        lines = "\n".join(f"  - {f}" for f in failures)
        super().__init__(f"ingest aborted, previous index kept serving; {len(failures)} document(s) failed:\n{lines}")
        self.failures = failures


class IndexMissingError(PlanchatError):
    """No index has been built yet."""

    def __init__(self, where: str):
        super().__init__(f"no index at {where}; run `planchat ingest` first")


class LLMError(PlanchatError):
    """The configured LLM endpoint failed or answered nonsense."""


class ConversationNotFoundError(PlanchatError):
    """A chat request named a conversation this server does not hold."""

    def __init__(self, conversation_id: str):
        super().__init__(f"no conversation {conversation_id!r}; send conversation_id null to start one")
        self.conversation_id = conversation_id
