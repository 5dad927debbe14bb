#!/usr/bin/env bash
# Formats every Swift file in place with the toolchain's swift-format and the repository's
# .swift-format; scripts/test.sh then lints with the same configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift format format --in-place --parallel --recursive Sources Tests Package.swift
