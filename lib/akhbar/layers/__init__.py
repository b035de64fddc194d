"""The annotation layers: one module per layer, the layer registry and the gazetteer."""
