-- One database per node: storage is shared-nothing, a node never reads another's journal.
CREATE DATABASE leaderless_node1;
CREATE DATABASE leaderless_node2;
CREATE DATABASE leaderless_node3;
