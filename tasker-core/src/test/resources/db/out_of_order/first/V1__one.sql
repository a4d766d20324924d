create table out_of_order_one (id int);
