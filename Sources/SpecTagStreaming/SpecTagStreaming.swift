// SpecTagStreaming module.
