-- The `code` node kind: sandboxed JavaScript.
ALTER TYPE "node_type" ADD VALUE IF NOT EXISTS 'code';
