-- The import's work copy: rewrite in place the columns of customers no index covers, from the view
-- ingest_rows, for the rows not in ingest_hard (those change a key column and are replaced whole).
update customers as t
set
    shop_name = s.shop_name,
    owner_name = s.owner_name,
    phone = s.phone,
    address = s.address,
    business_type = s.business_type,
    market_type = s.market_type,
    scale = s.scale,
    grade = s.grade,
    credit = s.credit,
    order_weekday = s.order_weekday,
    has_pos = s.has_pos,
    lon = s.lon,
    lat = s.lat,
    opened_on = s.opened_on,
    status = s.status
from ingest_rows as s
where t.customer_id = s.customer_id
  and not exists (select 1 from ingest_hard as h where h.customer_id = t.customer_id)
