-- The agent node kind: a model calling tools in a loop.
ALTER TYPE "node_type" ADD VALUE IF NOT EXISTS 'agent';
