-- Coordinates fall inside China's bounding box (and are not swapped).
select customer_id
from customers
where lon not between 73 and 136 or lat not between 3 and 54
