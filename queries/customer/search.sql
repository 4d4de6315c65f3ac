-- Customers whose shop name, owner or licence number matches the user's text (bound, never formatted):
-- exact licence first, then substrings, then the nearest by Jaro-Winkler similarity; at most 20 rows.
-- Only customers within the role's limit ($stations, $routes: empty = no limit).
with

needle as (
    select lower(trim($text::varchar)) as text
),

candidates as (
    select
        customers.customer_id,
        customers.shop_name,
        customers.owner_name,
        customers.license_no,
        routes.name as route_name,
        stations.name as station_name,
        case
            when customers.license_no = needle.text then 0
            when contains(lower(customers.shop_name), needle.text)
              or contains(lower(customers.owner_name), needle.text)
              or contains(customers.license_no, needle.text) then 1
            else 2
        end as match_rank,
        greatest(
            jaro_winkler_similarity(lower(customers.shop_name), needle.text),
            jaro_winkler_similarity(lower(customers.owner_name), needle.text)
        ) as similarity
    from scoped_customers($stations::varchar[], $routes::varchar[], []::varchar[], []::varchar[], null) as customers
    join routes on routes.route_id = customers.route_id
    join stations on stations.station_id = routes.station_id
    cross join needle
    where length(needle.text) > 0
),

final as (
    select *
    from candidates
    where match_rank < 2 or similarity >= 0.8
    order by match_rank, similarity desc, customer_id
    limit 20
)

select * from final
