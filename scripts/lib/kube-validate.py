"""Checks Kubernetes objects against the API's own JSON schemas (kubernetes-validate, offline).

Reads a JSON array of objects on stdin; prints a JSON array with one entry per object:
{"kind", "name", "result": "valid" | "invalid" | "no-schema", "error"}. Objects of a kind the
package has no schema for (custom resources) are "no-schema": the caller checks those against the
operators' CRD schemas.
"""
import json
import sys

import kubernetes_validate
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError

version = sys.argv[1]
results = []
for obj in json.load(sys.stdin):
    entry = {"kind": obj.get("kind"), "name": obj.get("metadata", {}).get("name"), "result": "valid", "error": None}
    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except SchemaNotFoundError as error:
        entry.update(result="no-schema", error=str(error))
    except ValidationError as error:
        path = "/".join(str(p) for p in error.path)
        entry.update(result="invalid", error=f"{path}: {error.message}")
    results.append(entry)
json.dump(results, sys.stdout)
