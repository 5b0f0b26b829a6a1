"""Pictures: symbol sets by name, automatic choice, photos and SVGs made safe, recordings."""
