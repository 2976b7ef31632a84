"""The provider layer: turns model strings into models (registry), makes one structured call
(calls), prices it (pricing). Settings come in as an LlmSettings (config). Has no Django models,
imports no app and reads no environment."""
