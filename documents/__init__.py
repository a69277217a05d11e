"""Documents: template declarations and builder, the single render function, immutable storage, PDF."""
