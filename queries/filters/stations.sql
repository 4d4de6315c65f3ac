-- The stations the scope filter offers, in id order.
select station_id, name
from stations
order by station_id
