"""Stage 1: load a topic YAML file and validate it into a typed model."""
