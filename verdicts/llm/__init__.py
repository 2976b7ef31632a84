"""The provider layer: turns model strings into models. Has no Django models and imports no app."""
