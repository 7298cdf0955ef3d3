"""SCORM packaging: manifests, the suspend_data budget, and deterministic zips."""
