import dotenv
