"""What a story is and how it is read: the model, the YAML source, translation, personalisation."""
