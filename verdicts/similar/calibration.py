"""The texts the int8 products' input ranges are measured on (verdicts/similar/graph.py).

Written for the purpose, about made-up tools: none is the starter catalog's, so accuracy on the
catalog stays a held-out check. Short and long, terse and wordy, as tool texts come.
"""

CALIBRATION_TEXTS = [
    "Search.",
    "A chatbot for customer support.",
    "Lumen Notes: an assistant that summarises meetings and drafts follow-up emails\n"
    "Lumen joins video calls, writes a transcript with speaker names, and turns it into a short "
    "summary, a list of decisions and the open action items, each with an owner.\n"
    "Category: Productivity\nintegrations: Zoom, Google Meet, Microsoft Teams\n"
    "price: Free tier, then $12 a seat a month",
    "Kestrel Vision: object detection and tracking for factory cameras\n"
    "Kestrel runs on an edge box next to the line, finds defects on parts as they pass, counts "
    "them and raises an alarm when the rate climbs. Models are trained from a few hundred "
    "labelled frames in the browser.\nCategory: Computer Vision\ndeployment: On-premises\n"
    "licence: Proprietary\nmodalities: Video, images",
    "Quill: an open-weights language model for long legal and financial documents\n"
    "Quill reads contracts of up to 200,000 tokens, answers questions with citations to clauses, "
    "and compares two versions of an agreement. Weights are released under Apache-2.0.\n"
    "Category: Language Models\ncontext window: 200k tokens\nlicence: Apache-2.0",
    "Murmur: text to speech with cloned voices in 30 languages\n"
    "Murmur turns scripts into narration in a chosen voice, or clones a voice from a minute of "
    "audio with the speaker's consent. An API streams audio as it is generated.\n"
    "Category: Speech & Audio\nlatency: About 300 ms to first audio\nprice: Pay per character",
    "Tessellate: generates 3D meshes and textures from a sentence or a sketch",
    "Harbor CI Agent: reviews pull requests, explains failing builds and proposes fixes\n"
    "Harbor reads the diff and the CI logs, comments on likely bugs, suggests patches as "
    "commits on a branch, and learns the repository's conventions from merged changes.\n"
    "Category: Coding Assistants\ninterface: GitHub app, GitLab integration\n"
    "models: Hosted, with a self-hosted option for enterprises",
    "Atlas Retrieve: a vector database with hybrid keyword and embedding search\n"
    "Category: Infrastructure\nlicence: BSD-3-Clause\ndeployment: Cloud or self-hosted\n"
    "scale: Billions of vectors across shards",
    "Pixelsmith: an image model that edits photos from instructions, removes objects, extends "
    "backgrounds and keeps faces consistent across a series of pictures. It runs in the browser "
    "on a GPU-backed service and exports layered files for designers.",
    "Sentinel Guard: detects prompt injection and personal data in LLM inputs and outputs\n"
    "Category: Safety & Security\ndeployment: Proxy or SDK\nlanguages: Python, TypeScript, Go",
    "Fathom Tutor: a maths tutor for secondary-school students that asks questions back instead "
    "of giving answers, checks each step of working, and reports progress to teachers.\n"
    "Category: Education\nprice: Free for schools",
    "Orchard: an agent framework for multi-step workflows with tools, memory and human approval "
    "steps; workflows are written in Python, traced step by step, and replayed for debugging. "
    "Category: Agents & Automation. licence: MIT. "
    "It supports OpenAI, Anthropic and local models through one interface, retries failed tool "
    "calls, caches results, and records the cost and latency of every call so teams can compare "
    "models on their own tasks before switching. " * 3,
    "Translates product listings into 40 languages and keeps brand terms untranslated.",
    "Cadence: music generation for video creators; pick a mood, length and tempo and it writes an "
    "original, royalty-free track with stems.\nCategory: Music\nmodalities: Audio",
    "DocuMind OCR: reads scanned invoices, receipts and forms, including handwriting and tables, "
    "and returns structured JSON fields with confidence scores.\nCategory: Document AI\n"
    "accuracy: 98% field-level on the vendor's benchmark\nprice: $1.50 per 1,000 pages",
]
