"""零售客户服务看板 · Retail customer service dashboard."""
