<?php
$data = file_get_contents('php://input'); // store data
file_put_contents('data.json', $data);
// or parse and process
$json = json_decode($data);
