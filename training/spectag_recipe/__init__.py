"""Offline training recipe for spectag's default tagger (Python only; the service never runs it)."""
