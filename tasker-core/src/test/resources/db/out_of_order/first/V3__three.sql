create table out_of_order_three (id int);
