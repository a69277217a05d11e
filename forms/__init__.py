"""Form models: the only input boundary (pydantic v2, extra fields forbidden, French messages)."""
