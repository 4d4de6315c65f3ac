-- Every survey score is a 0..100 figure.
select survey_id
from surveys
where overall not between 0 and 100
   or greatest(supply, ordering, delivery, customer_manager, settlement, complaint_handling,
               market_regulation) > 100
   or least(supply, ordering, delivery, customer_manager, settlement, complaint_handling,
            market_regulation) < 0
