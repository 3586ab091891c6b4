"""The chat service: routed questions, exact lookups, retrieval, verified citations, conversations.

Data flows ``service.ChatService.answer``: rewrite a follow-up (``rewrite``),
read the question (``question``), look records up (``lookup``) and/or
retrieve passages (``retrieve``), decide whether the evidence answers it
(``evidence``), then compose (``compose`` / ``extractive``, or ``llm``) with
citations whose quotes are checked against their sources (``citations``).
"""
