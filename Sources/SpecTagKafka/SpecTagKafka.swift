// SpecTagKafka module.
