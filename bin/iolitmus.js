#!/usr/bin/env node
// Thin launcher: the CLI is compiled from src/cli and bundled into dist/bundle (npm run build).
import '../dist/bundle/iolitmus.js';
