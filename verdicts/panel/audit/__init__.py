"""The panel's self-audit: a fixed, versioned suite (suite_v*.toml) that measures how a model
judges (schema validity, order-swap consistency, injection resistance, self-preference, cost
and time), and stores one report per model and run."""
