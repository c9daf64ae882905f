# tests shared across subsystems
