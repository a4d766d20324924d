create table out_of_order_two (id int);
