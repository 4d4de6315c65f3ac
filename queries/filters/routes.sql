-- The sales routes the scope filter offers, with their station.
select route_id, station_id, name
from routes
order by route_id
