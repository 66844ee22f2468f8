"""Query: search planning, owner and reference resolution, questions, highlights, exports."""
