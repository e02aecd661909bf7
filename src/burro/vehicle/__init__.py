"""The drive loop: a key/value memory and the parts that read and write it at a fixed rate."""
